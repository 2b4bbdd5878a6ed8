"""The Reconciliation Service API (W3C Entity Reconciliation Community Group) over a release:
OpenRefine matches a column of names against our organisations, people, events, sites and
territories, then fetches their properties.

One module per concern: ``vocabulary`` (the types and properties offered), ``protocol`` (reading
and checking requests of versions 0.2 and 1.0-draft), ``values`` (a resource's property values,
read from the release), ``matching`` (candidates and their scores), ``extension`` (data
extension), ``suggest``, ``preview`` and ``manifest``. ``server/routes/reconcile.py`` serves them.
"""

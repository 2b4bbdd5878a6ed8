"""One router per concern: sparql, resources (dereferencing), downloads, pages."""

"""The Maillage server: request time only. It reads a release and never builds one."""

"""Running Balise in production: proxies, probes and metrics access, backups, tenant export and import."""

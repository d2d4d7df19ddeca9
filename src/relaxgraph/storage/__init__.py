"""Where the graph is kept: the Oxigraph store (memory or disk), rdflib's ``load()``, a remote
SPARQL endpoint, and ``connect()``, which opens any of them."""

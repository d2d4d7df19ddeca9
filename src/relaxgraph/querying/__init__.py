"""Running SPARQL: the guard on query text, the engines' common interface and results, parameter
binding, the query catalogue and name-to-entity resolution."""

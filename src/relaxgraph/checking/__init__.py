"""Checking the graph: SHACL shapes and integrity queries, OWL RL inference, and the ontology's
own vocabulary (what is provenance)."""

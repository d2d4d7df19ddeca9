"""``relaxgraph serve``: a read-only SPARQL endpoint (waitress), one worker process per query."""

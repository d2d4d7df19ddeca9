"""What the graph looks like to a reader: ``describe``, the networkx bridge and its analytics,
the offline HTML viewer, exports and terminal tables."""

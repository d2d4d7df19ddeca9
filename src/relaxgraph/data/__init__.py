"""The shipped data and how it is declared: the layer registry (``layers.toml``), where the files are,
the identifier converter, and the build of the merged graph."""

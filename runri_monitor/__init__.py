"""runri-monitor: the application layer (store, CLI, queries, exports, daily run)."""

__version__ = "0.1.0"

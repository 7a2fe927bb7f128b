"""The domain: pure functions that notebooks call (one module per topic)."""

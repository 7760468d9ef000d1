"""The desk's window (PySide6). The only layer that imports Qt; it writes no SQL."""

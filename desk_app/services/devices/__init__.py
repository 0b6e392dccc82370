"""The hall's devices: thermal ticket printers (ESC/POS), serial call-pad receivers, LED window
strips and evaluation pads, each behind an adapter with a simulated twin (a pty or a file), the
per-PC registry (``device list|add|remove|test``) and the runner the screens start."""

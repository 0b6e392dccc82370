"""The window strip (窗口屏) above a window, as a small Qt screen."""

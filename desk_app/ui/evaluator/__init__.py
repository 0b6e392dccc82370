"""The visitor's evaluation pad (评价器): the screen facing the visitor at a window."""

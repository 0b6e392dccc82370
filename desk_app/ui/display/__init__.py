"""The hall's big screens: the call display (叫号屏) with its announcements, and the reform's progress wall."""

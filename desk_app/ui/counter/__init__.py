"""The counter workstation (窗口): the current ticket and its actions, the queue's lists, transfers, appointments and the visitor's evaluation."""

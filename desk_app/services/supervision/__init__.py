"""What the supervisor watches and studies: the live hall, alerts, statistics with their exports and monthly report, and the reform's figures."""

"""The supervisor's screens (值班长): the live hall, alerts, statistics with charts, 好差评 reviews and the reform's figures."""

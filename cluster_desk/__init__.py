"""Cluster Desk: keep a cluster's roster and check it against what cluster research asks for."""

__version__ = "0.1.0"
APP_NAME = "Cluster Desk"
PROJECT_SUFFIX = ".cdesk"

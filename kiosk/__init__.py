"""kiosk: touchscreen software for a party-building exhibition center (党建展示中心)."""

__version__ = "0.1.0"

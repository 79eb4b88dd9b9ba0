"""ansinh: the management information system for labour, meritorious people and social affairs."""

__version__ = "0.1.0"

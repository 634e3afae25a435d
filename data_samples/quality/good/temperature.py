"""Temperature conversions with input checks."""

ABSOLUTE_ZERO_CELSIUS = -273.15


def celsius_to_fahrenheit(celsius: float) -> float:
    """Convert degrees Celsius to degrees Fahrenheit."""
    _check_above_absolute_zero(celsius)
    return celsius * 9 / 5 + 32


def fahrenheit_to_celsius(fahrenheit: float) -> float:
    """Convert degrees Fahrenheit to degrees Celsius."""
    celsius = (fahrenheit - 32) * 5 / 9
    _check_above_absolute_zero(celsius)
    return celsius


def _check_above_absolute_zero(celsius: float) -> None:
    if celsius < ABSOLUTE_ZERO_CELSIUS:
        raise ValueError(f"{celsius} °C is below absolute zero")

"""A small stock inventory with reservations."""

from dataclasses import dataclass, field


class OutOfStock(Exception):
    """Raised when a reservation asks for more units than are available."""


@dataclass
class Inventory:
    """Units on hand per product, minus units reserved by open orders."""

    on_hand: dict[str, int] = field(default_factory=dict)
    reserved: dict[str, int] = field(default_factory=dict)

    def available(self, product: str) -> int:
        return self.on_hand.get(product, 0) - self.reserved.get(product, 0)

    def receive(self, product: str, units: int) -> None:
        if units <= 0:
            raise ValueError("received units must be positive")
        self.on_hand[product] = self.on_hand.get(product, 0) + units

    def reserve(self, product: str, units: int) -> None:
        if units > self.available(product):
            raise OutOfStock(f"{product}: {units} requested, {self.available(product)} available")
        self.reserved[product] = self.reserved.get(product, 0) + units

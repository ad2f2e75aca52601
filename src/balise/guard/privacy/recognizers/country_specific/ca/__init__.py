"""Canada and Quebec: SIN, RAMQ, Quebec driver's licence, postal code, North-American phone numbers."""

"""Switzerland: AVS number, postal code before the locality, Swiss phone numbers (including 079/422 38 99)."""

"""Energy and emissions estimates per request (P1, X5).

Figures are estimates, not measurements: energy per 1,000 tokens is declared per backend by the
administrator (or the default below), emissions use the grid intensity of the hosting location.
Sources and years are in docs/footprint.md; a deployment overrides intensities in ``balise.toml``::

    [grid_g_co2e_per_kwh]
    quebec = 1.7
"""

from __future__ import annotations

from enum import StrEnum

from balise.config import get_settings
from balise.gateway.contracts import Footprint


class Hosting(StrEnum):
    """Where a model runs: it decides the residency rules and the grid used for emissions."""

    ON_PREMISES = "on_premises"
    QUEBEC = "quebec"
    CANADA = "canada"
    SWITZERLAND = "switzerland"
    EU = "eu"
    ABROAD = "abroad"


# g CO2e per kWh; see docs/footprint.md for each source and year.
GRID_G_CO2E_PER_KWH: dict[str, float] = {
    Hosting.QUEBEC: 1.7,
    Hosting.CANADA: 110.0,
    Hosting.SWITZERLAND: 125.0,
    Hosting.EU: 250.0,
    Hosting.ABROAD: 445.0,
}

# A generative model whose energy is not declared: a mid-size open model on one data-centre GPU,
# facility overhead included (docs/footprint.md).
DEFAULT_WH_PER_1K_TOKENS = 0.3
# A reranking or embedding server whose energy is not declared: an encoder under 1 B parameters that
# reads and writes nothing, a placeholder an order of magnitude under the generative one (docs/footprint.md).
ENCODER_WH_PER_1K_TOKENS = 0.02
# The extractive backend runs on the application server's CPU: one busy core.
CPU_WATTS = 15.0


def on_premises_grid(tenant_region: str) -> Hosting:
    """On-premises servers draw from the municipality's own grid."""
    region = tenant_region.upper()
    if region.startswith("CH"):
        return Hosting.SWITZERLAND
    if region == "QC":
        return Hosting.QUEBEC
    return Hosting.CANADA if region.startswith("CA") else Hosting.ABROAD


def grid_intensity(hosting: str, tenant_region: str = "QC") -> float:
    """Grid intensity in g CO2e/kWh for a hosting location, after configuration overrides."""
    place = on_premises_grid(tenant_region) if hosting == Hosting.ON_PREMISES else Hosting(hosting)
    overrides = get_settings().grid_g_co2e_per_kwh
    return float(overrides.get(place.value, GRID_G_CO2E_PER_KWH[place]))


def estimate(
    tokens_in: int,
    tokens_out: int,
    *,
    wh_per_1k_tokens: float,
    grid_g_per_kwh: float,
    price_per_1k_tokens: float = 0.0,
    currency: str = "",
) -> Footprint:
    """The footprint of a call; its cost is in ``currency``, kept only when the model has fees."""
    tokens = tokens_in + tokens_out
    wh = tokens / 1000 * wh_per_1k_tokens
    return Footprint(
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        wh=wh,
        gco2e=wh / 1000 * grid_g_per_kwh,
        grid_g_per_kwh=grid_g_per_kwh,
        cost=tokens / 1000 * price_per_1k_tokens,
        currency=currency if price_per_1k_tokens else "",
    )


def cpu_footprint(seconds: float, grid_g_per_kwh: float) -> Footprint:
    """Extractive answers use no model: their energy is CPU time at :data:`CPU_WATTS`."""
    wh = CPU_WATTS * seconds / 3600
    return Footprint(wh=wh, gco2e=wh / 1000 * grid_g_per_kwh, grid_g_per_kwh=grid_g_per_kwh)

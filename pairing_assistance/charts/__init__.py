"""Altair chart builders for the book; every label comes from ``pairing_assistance.i18n``."""

from .database import mechanism_chart, pairing_map_chart, pairing_table_chart
from .estimates import convergence_chart, specification_chart, synth_gap_chart
from .evidence import evidence_map_chart, problems_chart
from .render import setup
from .theory import equalisation_chart, equalisation_run_chart, growth_run_chart, two_wheel_chart
from .timeline import timeline_chart

__all__ = ["setup", "timeline_chart", "equalisation_chart", "two_wheel_chart", "evidence_map_chart", "problems_chart",
           "pairing_map_chart", "pairing_table_chart", "mechanism_chart", "growth_run_chart",
           "equalisation_run_chart", "convergence_chart", "synth_gap_chart", "specification_chart"]

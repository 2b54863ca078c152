"""Loading landed extracts into the warehouse's raw schema: read, map, validate, quarantine."""

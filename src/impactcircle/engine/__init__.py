"""Pure computation for ImpactCircle: matching, scoring and text embeddings (no Django)."""

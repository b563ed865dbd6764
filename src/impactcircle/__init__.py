"""ImpactCircle: a self-hosted platform for a company's CSR community."""

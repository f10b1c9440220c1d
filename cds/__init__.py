"""CDS Hooks decision support: the services, their rules over prefetch, cards and feedback."""

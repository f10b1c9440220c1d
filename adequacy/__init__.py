"""Network adequacy: CMS Medicare Advantage time/distance and ratio standards for a plan."""

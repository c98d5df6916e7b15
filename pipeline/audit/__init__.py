"""The daily read (Arts. 24, 31): what an inspector of the portal would find today, unit by unit."""

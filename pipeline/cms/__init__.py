"""The browser editor (Decap CMS): its configuration generated from schemas/, and the admin site built around it."""

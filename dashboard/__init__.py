"""The dashboard at ``/``: where the city stands against the wastewater target .

Every figure comes from the core selectors and queryset annotations; this package only
chooses the date, scopes the records to the user and lays the figures out (HTML, SVG, CSV).
"""

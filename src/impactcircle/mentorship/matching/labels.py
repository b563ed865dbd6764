"""How each matching factor is named on pages."""

FACTOR_LABELS = {
    "values": "Shared company values",
    "causes": "Shared cause areas",
    "skills": "Mentor's expertise covers the mentee's goal skills",
    "meaning": "Similar goals and expertise (meaning of the texts)",
    "hours": "Overlapping working hours",
    "language": "Shared language",
    "level": "Level gap",
}

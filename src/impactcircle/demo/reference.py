"""Reference tables for the demo organisation: places, functions, skills, values and goals.

Everything here is plain data; `organisation.py` turns it into rows and `profiles.py` draws
people from it.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    city: str
    country: str  # ISO 3166-1 alpha-2
    time_zone: str  # IANA name
    languages: tuple[str, ...]  # ISO 639-1, the most spoken first
    name_region: str  # key into names.NAMES
    weight: int  # share of the company working there


LOCATIONS: tuple[Location, ...] = (
    Location("Berlin", "DE", "Europe/Berlin", ("de",), "de", 14),
    Location("London", "GB", "Europe/London", ("en",), "gb", 10),
    Location("New York", "US", "America/New_York", ("en", "es"), "us", 10),
    Location("São Paulo", "BR", "America/Sao_Paulo", ("pt",), "br", 8),
    Location("Bangalore", "IN", "Asia/Kolkata", ("hi", "kn"), "in", 12),
    Location("Nairobi", "KE", "Africa/Nairobi", ("sw",), "ke", 6),
    Location("Singapore", "SG", "Asia/Singapore", ("zh", "ms", "ta"), "sg", 6),
    Location("Paris", "FR", "Europe/Paris", ("fr",), "fr", 6),
    Location("Madrid", "ES", "Europe/Madrid", ("es",), "es", 4),
    Location("Lagos", "NG", "Africa/Lagos", ("yo", "ig"), "ng", 4),
    Location("Tokyo", "JP", "Asia/Tokyo", ("ja",), "jp", 4),
    Location("Mexico City", "MX", "America/Mexico_City", ("es",), "mx", 4),
    Location("Stockholm", "SE", "Europe/Stockholm", ("sv",), "se", 3),
    Location("Toronto", "CA", "America/Toronto", ("en", "fr"), "us", 4),
    Location("Warsaw", "PL", "Europe/Warsaw", ("pl",), "pl", 3),
    Location("Dubai", "AE", "Asia/Dubai", ("ar",), "ae", 2),
)
HEADQUARTERS = 0  # Berlin

COMPANY_NAME = "Verdant Collective"
DEMO_DOMAIN = "example.com"

DIVISIONS: tuple[str, ...] = (
    "Corporate Functions", "Technology", "Commercial", "Global Operations",
)  # fmt: skip


@dataclass(frozen=True)
class Function:
    """A department and what its people do."""

    name: str
    division: str
    weight: int  # share of the company
    teams: tuple[str, ...]
    roles: tuple[str, ...]  # individual contributor job nouns
    skills: tuple[str, ...]  # the skills people here mostly have
    causes: tuple[int, ...]  # UN SDG numbers people here lean towards


# In priority order: a small company has the first few only.
FUNCTIONS: tuple[Function, ...] = (
    Function(
        "Sustainability & CSR", "Corporate Functions", 3,
        ("Climate & Environment", "Community Investment", "ESG Reporting", "Volunteering"),
        ("Sustainability Specialist", "CSR Programme Manager", "ESG Analyst", "Impact Analyst"),
        ("Sustainability strategy", "ESG reporting", "Impact measurement", "Carbon accounting",
         "Community engagement", "Volunteering coordination", "Stakeholder management",
         "Circular economy", "Grant making"),
        (13, 12, 7, 15, 14, 11, 17),
    ),
    Function(
        "HR & People", "Corporate Functions", 4,
        ("Talent Acquisition", "People Partners", "Reward", "People Operations"),
        ("People Partner", "Recruiter", "HR Specialist", "Reward Analyst"),
        ("Diversity, equity and inclusion", "Coaching", "Talent development", "Employment law",
         "Stakeholder management", "Facilitation", "Wellbeing programmes"),
        (5, 8, 10, 3, 4),
    ),
    Function(
        "Engineering", "Technology", 18,
        ("Platform", "Mobile", "Web", "Infrastructure", "Security", "Quality", "Payments",
         "Developer Experience"),
        ("Software Engineer", "Site Reliability Engineer", "QA Engineer", "Security Engineer"),
        ("Python", "Software architecture", "Cloud infrastructure", "Data analysis",
         "Green software", "Accessibility", "Agile delivery"),
        (9, 4, 7, 13, 10),
    ),
    Function(
        "Operations", "Global Operations", 12,
        ("Facilities", "Logistics", "Quality Assurance", "Health & Safety", "Energy"),
        ("Operations Specialist", "Logistics Coordinator", "Facilities Manager", "HSE Officer"),
        ("Lean operations", "Health and safety", "Energy management", "Project management",
         "Waste reduction", "Process improvement"),
        (12, 6, 7, 3, 8, 13),
    ),
    Function(
        "Sales", "Commercial", 12,
        ("Enterprise", "Mid-Market", "Public Sector", "Partnerships", "Sales Operations"),
        ("Account Executive", "Sales Development Representative", "Account Manager",
         "Sales Operations Analyst"),
        ("Negotiation", "Stakeholder management", "Public speaking", "Sustainable procurement",
         "Customer insight"),
        (8, 1, 3, 9, 17),
    ),
    Function(
        "Finance", "Corporate Functions", 6,
        ("Accounting", "Financial Planning", "Treasury", "Tax", "Internal Audit"),
        ("Financial Analyst", "Accountant", "Controller", "Auditor"),
        ("Financial modelling", "ESG reporting", "Impact investing", "Data analysis",
         "Risk management"),
        (8, 1, 17, 16, 10),
    ),
    Function(
        "Marketing & Communications", "Commercial", 6,
        ("Brand", "Digital Marketing", "Internal Communications", "Public Relations", "Content"),
        ("Marketing Manager", "Communications Specialist", "Content Strategist", "Designer"),
        ("Storytelling", "Public speaking", "Impact communication", "Social media",
         "Community engagement", "Accessibility"),
        (11, 12, 5, 4, 13),
    ),
    Function(
        "Learning & Development", "Corporate Functions", 2,
        ("Leadership Development", "Digital Learning", "Onboarding"),
        ("Learning Designer", "Facilitator", "Learning Specialist"),
        ("Instructional design", "Facilitation", "Coaching", "Mentoring programmes",
         "Public speaking", "Talent development"),
        (4, 10, 5, 8),
    ),
    Function(
        "Legal & Compliance", "Corporate Functions", 2,
        ("Corporate Legal", "Compliance", "Privacy", "Ethics"),
        ("Legal Counsel", "Compliance Officer", "Privacy Specialist", "Paralegal"),
        ("Regulatory compliance", "Human rights due diligence", "Data protection",
         "Anti-corruption", "Risk management", "Employment law"),
        (16, 10, 5, 8),
    ),
    Function(
        "Supply Chain", "Global Operations", 8,
        ("Sourcing", "Supplier Sustainability", "Planning", "Distribution", "Procurement"),
        ("Buyer", "Supply Chain Analyst", "Supplier Auditor", "Planner"),
        ("Supply-chain due diligence", "Sustainable procurement", "Supplier engagement",
         "Human rights due diligence", "Circular economy", "Negotiation", "Data analysis"),
        (12, 8, 6, 15, 13, 1),
    ),
    Function(
        "Data & Analytics", "Technology", 5,
        ("Analytics Engineering", "Data Science", "Business Intelligence", "Data Platform"),
        ("Data Analyst", "Data Scientist", "Analytics Engineer", "BI Developer"),
        ("Data analysis", "Python", "Statistics", "Data visualisation", "Impact measurement",
         "Machine learning"),
        (9, 4, 17, 3, 13),
    ),
    Function(
        "Customer Success", "Commercial", 7,
        ("Onboarding", "Support", "Customer Education", "Renewals"),
        ("Customer Success Manager", "Support Specialist", "Customer Educator"),
        ("Customer insight", "Facilitation", "Stakeholder management", "Project management",
         "Public speaking"),
        (8, 4, 10, 3),
    ),
    Function(
        "IT Services", "Technology", 4,
        ("Workplace Technology", "Service Desk", "Enterprise Applications"),
        ("IT Specialist", "Systems Administrator", "Service Desk Analyst"),
        ("Cloud infrastructure", "Green software", "Data protection", "Project management",
         "Python"),
        (9, 7, 12, 4),
    ),
)  # fmt: skip

# Skills anyone may have, whatever their department.
GENERAL_SKILLS: tuple[str, ...] = (
    "Project management", "Public speaking", "Coaching", "Fundraising",
    "Volunteering coordination", "Community engagement", "Diversity, equity and inclusion",
    "Data analysis", "Stakeholder management", "Facilitation", "Storytelling",
    "Mentoring programmes",
)  # fmt: skip

SUSTAINABILITY_SKILLS: frozenset[str] = frozenset(
    {
        "Sustainability strategy", "ESG reporting", "Impact measurement", "Carbon accounting",
        "Circular economy", "Community engagement", "Volunteering coordination", "Grant making",
        "Supply-chain due diligence", "Human rights due diligence", "Impact investing",
        "Green software", "Energy management", "Waste reduction", "Sustainable procurement",
        "Impact communication",
    }
)  # fmt: skip

SKILL_DESCRIPTIONS: dict[str, str] = {
    "Sustainability strategy": "Setting targets and roadmaps for environmental and social impact.",
    "ESG reporting": "Reporting under CSRD/ESRS, GRI and similar frameworks.",
    "Impact measurement": "Theories of change, indicators and evaluating what changed.",
    "Carbon accounting": "Scope 1–3 greenhouse-gas inventories and reduction plans.",
    "Community engagement": "Working with local communities and partner organisations.",
    "Volunteering coordination": "Organising employee volunteering that helps the partner.",
    "Stakeholder management": "Bringing the right people along, inside and outside.",
    "Supply-chain due diligence": "Finding and fixing risks to people and planet at suppliers.",
    "Human rights due diligence": "UNGP-aligned assessment of human-rights risks.",
    "Diversity, equity and inclusion": "Fair processes and an inclusive culture.",
    "Fundraising": "Raising money and in-kind support for causes.",
    "Grant making": "Selecting, funding and following up on community grants.",
    "Python": "Programming in Python.",
    "Data analysis": "Turning data into decisions.",
    "Project management": "Planning and delivering work with others.",
    "Coaching": "Helping others find their own answers.",
    "Public speaking": "Presenting to an audience with confidence.",
}

VALUES: tuple[tuple[str, str, int], ...] = (
    ("Integrity", "We do what we say, and say what we do.", 5),
    ("Courage", "We speak up and try new things.", 3),
    ("Care", "We look after each other, our communities and the planet.", 5),
    ("Curiosity", "We ask, listen and keep learning.", 4),
    ("Collaboration", "We achieve more together than alone.", 5),
    ("Sustainability", "We decide with the next generation in mind.", 4),
)

# (template, whether the skill should be one the person does not have yet)
GOAL_TEMPLATES: tuple[tuple[str, bool], ...] = (
    ("Get confident in {skill} by applying it on a real CSR initiative", True),
    ("Learn the basics of {skill} this year", True),
    ("Lead a project that needs {skill}", False),
    ("Mentor a colleague in {skill}", False),
    ("Earn a certificate in {skill}", True),
    ("Present our work on {skill} at an internal event", False),
)

LEVEL_PREFIXES: dict[int, str] = {
    1: "Junior ", 2: "", 3: "Senior ", 4: "Lead ", 5: "Principal ", 6: "Distinguished ",
    7: "Distinguished ", 8: "Distinguished ",
}  # fmt: skip

MANAGER_TITLES: dict[int, str] = {
    2: "Team Lead", 3: "Team Lead", 4: "Manager", 5: "Senior Manager", 6: "Director",
    7: "Vice President", 8: "Senior Vice President",
}  # fmt: skip

"""Given and family names by region, and how a name becomes an email address."""

from __future__ import annotations

import re
import unicodedata

# region: (given names, family names)
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "de": (
        ("Anna", "Lukas", "Lea", "Jonas", "Mia", "Felix", "Hannah", "Paul", "Emma", "Leon",
         "Sophie", "Maximilian", "Laura", "Tobias", "Katharina", "Elif", "Murat", "Jana"),
        ("Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker",
         "Hoffmann", "Schulz", "Koch", "Richter", "Klein", "Wolf", "Yılmaz", "Kaya", "Neumann"),
    ),
    "gb": (
        ("Oliver", "Amelia", "George", "Isla", "Harry", "Olivia", "Jack", "Emily", "Charlie",
         "Ava", "Thomas", "Grace", "Aisha", "Ravi", "Niamh", "Callum", "Freya"),
        ("Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Evans", "Thomas", "Roberts",
         "Walker", "Wright", "Khan", "Ahmed", "O'Connor", "Campbell", "Hughes", "Patel"),
    ),
    "us": (
        ("James", "Olivia", "Michael", "Sophia", "Ethan", "Isabella", "Daniel", "Madison",
         "Jordan", "Aaliyah", "Marcus", "Chloe", "Andrew", "Jasmine", "Tyler", "Camila"),
        ("Johnson", "Williams", "Brown", "Davis", "Miller", "Garcia", "Rodriguez", "Martinez",
         "Anderson", "Jackson", "Thompson", "White", "Harris", "Nguyen", "Kim", "Robinson"),
    ),
    "br": (
        ("João", "Maria", "Pedro", "Ana", "Lucas", "Beatriz", "Gabriel", "Juliana", "Rafael",
         "Larissa", "Mateus", "Camila", "Thiago", "Fernanda", "Bruno", "Letícia"),
        ("Silva", "Santos", "Oliveira", "Souza", "Pereira", "Costa", "Rodrigues", "Almeida",
         "Nascimento", "Lima", "Araújo", "Carvalho", "Ribeiro", "Gomes", "Barbosa", "Rocha"),
    ),
    "in": (
        ("Aarav", "Priya", "Vihaan", "Ananya", "Arjun", "Diya", "Rohan", "Kavya", "Aditya",
         "Ishita", "Karthik", "Meera", "Rahul", "Sneha", "Vikram", "Lakshmi", "Siddharth"),
        ("Sharma", "Patel", "Iyer", "Reddy", "Nair", "Gupta", "Singh", "Rao", "Menon", "Kumar",
         "Desai", "Joshi", "Mehta", "Krishnan", "Banerjee", "Pillai", "Hegde"),
    ),
    "ke": (
        ("Wanjiru", "Otieno", "Achieng", "Kamau", "Njeri", "Mwangi", "Akinyi", "Kipchoge",
         "Wambui", "Omondi", "Chebet", "Mutua", "Nyambura", "Kiprono", "Atieno", "Baraka"),
        ("Kamau", "Odhiambo", "Wanjiku", "Mwangi", "Otieno", "Kiprop", "Njoroge", "Ochieng",
         "Mutai", "Kariuki", "Wafula", "Chege", "Onyango", "Kimani", "Mbugua", "Korir"),
    ),
    "sg": (
        ("Wei Ling", "Jun Jie", "Hui Min", "Zhi Hao", "Siti", "Muhammad", "Nurul", "Arjun",
         "Mei Xin", "Kai Wen", "Priya", "Farid", "Shu Fen", "Ryan", "Aisyah", "Darren"),
        ("Tan", "Lim", "Lee", "Ng", "Ong", "Wong", "Goh", "Chua", "Koh", "Teo", "Rahman",
         "Abdullah", "Ismail", "Raj", "Chandran", "Yeo"),
    ),
    "fr": (
        ("Camille", "Louis", "Léa", "Hugo", "Chloé", "Arthur", "Manon", "Jules", "Inès",
         "Gabriel", "Sarah", "Nathan", "Yasmine", "Mathis", "Clémence", "Karim"),
        ("Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand",
         "Leroy", "Moreau", "Laurent", "Lefèvre", "Benali", "Girard", "Fontaine", "Mercier"),
    ),
    "es": (
        ("Lucía", "Hugo", "Sofía", "Martín", "Martina", "Pablo", "Paula", "Alejandro", "Carmen",
         "Daniel", "Elena", "Javier", "Nerea", "Iker", "Marta", "Sergio"),
        ("García", "Fernández", "González", "Rodríguez", "López", "Martínez", "Sánchez",
         "Pérez", "Gómez", "Ruiz", "Díaz", "Moreno", "Álvarez", "Romero", "Navarro", "Torres"),
    ),
    "ng": (
        ("Chinedu", "Ngozi", "Oluwaseun", "Adaeze", "Emeka", "Funmilayo", "Tunde", "Chiamaka",
         "Ifeanyi", "Yetunde", "Babajide", "Amara", "Kelechi", "Folake", "Obinna", "Zainab"),
        ("Okafor", "Adeyemi", "Okonkwo", "Balogun", "Eze", "Ogunleye", "Nwosu", "Adebayo",
         "Chukwu", "Olawale", "Ibrahim", "Nnamdi", "Afolabi", "Obi", "Bello", "Okoro"),
    ),
    "jp": (
        ("Haruto", "Yui", "Sota", "Aoi", "Ren", "Hina", "Yuto", "Sakura", "Kaito", "Mio",
         "Takumi", "Yuna", "Daiki", "Riko", "Kenji", "Emi"),
        ("Sato", "Suzuki", "Takahashi", "Tanaka", "Watanabe", "Ito", "Yamamoto", "Nakamura",
         "Kobayashi", "Kato", "Yoshida", "Yamada", "Sasaki", "Matsumoto", "Inoue", "Kimura"),
    ),
    "mx": (
        ("Santiago", "Valentina", "Mateo", "Ximena", "Diego", "Regina", "Emiliano", "Renata",
         "Leonardo", "Fernanda", "Sebastián", "Daniela", "Andrés", "Guadalupe", "Carlos"),
        ("Hernández", "García", "Martínez", "López", "González", "Pérez", "Rodríguez", "Sánchez",
         "Ramírez", "Cruz", "Flores", "Gómez", "Morales", "Vázquez", "Reyes", "Jiménez"),
    ),
    "se": (
        ("Elsa", "William", "Alice", "Liam", "Maja", "Noah", "Ebba", "Hugo", "Astrid", "Oscar",
         "Saga", "Lucas", "Wilma", "Elias", "Linnea", "Nils"),
        ("Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson",
         "Persson", "Svensson", "Gustafsson", "Lindberg", "Lindqvist", "Berg", "Holm", "Ek"),
    ),
    "pl": (
        ("Zuzanna", "Jakub", "Julia", "Antoni", "Maja", "Jan", "Zofia", "Szymon", "Hanna",
         "Filip", "Aleksandra", "Kacper", "Natalia", "Michał", "Agnieszka", "Łukasz"),
        ("Nowak", "Kowalski", "Wiśniewski", "Wójcik", "Kowalczyk", "Kamiński", "Lewandowski",
         "Zieliński", "Szymański", "Woźniak", "Dąbrowski", "Kozłowski", "Jankowski", "Mazur"),
    ),
    "ae": (
        ("Omar", "Fatima", "Ahmed", "Mariam", "Khalid", "Noura", "Youssef", "Layla", "Hassan",
         "Aisha", "Tariq", "Salma", "Rashid", "Huda", "Zayed", "Rania"),
        ("Al Mansouri", "Haddad", "Khoury", "Al Hashimi", "Nasser", "Saleh", "Farouk", "Hamdan",
         "Al Falasi", "Aziz", "Rahman", "Mansour", "Karam", "Qureshi", "Sabbagh", "Darwish"),
    ),
}  # fmt: skip
REGIONS: tuple[str, ...] = tuple(NAMES)

_SPECIAL_LETTERS = str.maketrans(
    {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "đ": "d", "ı": "i"}
)
_NOT_EMAIL_SAFE = re.compile(r"[^a-z0-9]")


def email_safe(name: str) -> str:
    """'Łukasz' -> 'lukasz', 'Al Mansouri' -> 'almansouri', "O'Connor" -> 'oconnor'."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_SPECIAL_LETTERS))
    ascii_only = decomposed.encode("ascii", "ignore").decode("ascii").lower()
    return _NOT_EMAIL_SAFE.sub("", ascii_only)

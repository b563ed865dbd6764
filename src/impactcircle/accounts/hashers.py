"""Password hashing sized for a web process that signs in many people at once.

Django's Argon2 defaults (100 MiB, 2 passes, 8 lanes) spread one sign-in over eight threads: on
a 2-core server each sign-in took both cores for 0.2–0.7 s and every other request waited. These
are OWASP's recommended Argon2id parameters (19 MiB, 2 passes, 1 lane; Password Storage Cheat
Sheet): one core for about 50 ms per sign-in, with the same resistance per guess that OWASP
asks of stored passwords. Existing hashes still verify and are rehashed with these parameters at
the next sign-in (Django's `must_update`).
"""

from __future__ import annotations

from django.contrib.auth.hashers import Argon2PasswordHasher


class SizedArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1

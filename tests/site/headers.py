"""What every response must carry: the security headers and cookie flags of production."""

SCRIPT_FORBIDDEN = ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:")


def policy(response) -> dict[str, list[str]]:
    header = response.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        if name:
            directives[name] = values
    return directives


def check_headers(response, *, secure: bool) -> list[str]:
    """The problems with a response's security headers; [] when there are none."""
    problems = []
    csp = policy(response)
    if not csp:
        problems.append("no Content-Security-Policy")
    else:
        script = csp.get("script-src", csp.get("default-src", []))
        if not script or any(value in SCRIPT_FORBIDDEN for value in script):
            problems.append(f"script-src allows too much: {script}")
        for name, wanted in (
            ("frame-ancestors", ["'none'"]),
            ("object-src", ["'none'"]),
            ("base-uri", ["'none'"]),
            ("default-src", ["'none'"]),
        ):
            if csp.get(name) != wanted:
                problems.append(f"{name} is {csp.get(name)}, not {wanted}")
    expected = {
        "X-Frame-Options": "DENY",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "same-origin",
        "Cross-Origin-Opener-Policy": "same-origin",
    }
    for name, value in expected.items():
        if response.get(name) != value:
            problems.append(f"{name} is {response.get(name)!r}, not {value!r}")
    if secure:
        hsts = response.get("Strict-Transport-Security", "")
        if "max-age=31536000" not in hsts or "includeSubDomains" not in hsts:
            problems.append(f"Strict-Transport-Security is {hsts!r}")
        for name, morsel in response.cookies.items():
            if not morsel["secure"]:
                problems.append(f"cookie {name} is not Secure")
            if name != "csrftoken" and not morsel["httponly"]:
                problems.append(f"cookie {name} is not HttpOnly")
            if morsel["samesite"] not in ("Lax", "Strict"):
                problems.append(f"cookie {name} has SameSite={morsel['samesite']!r}")
    return problems

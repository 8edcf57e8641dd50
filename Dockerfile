FROM python:3.11-slim-bookworm
# Pango for WeasyPrint; gettext-free: translations are compiled with Babel.
RUN apt-get update \
 && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home --uid 1000 kotove
WORKDIR /app
COPY requirements.lock .
RUN pip install --no-cache-dir -r requirements.lock
COPY . .
RUN python -m kotove.devstack compile-messages \
 && SECRET_KEY=build DATABASE_URL=postgresql:///x python manage.py collectstatic --no-input
USER kotove
ENV PYTHONUNBUFFERED=1
EXPOSE 8000
CMD ["gunicorn", "kotove.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]

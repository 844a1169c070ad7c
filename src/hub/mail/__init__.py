"""Email: messages rendered from templates (`messages`) and sent through the company's
SMTP server (`smtp`). An adapter: it knows nothing of who should be told what."""

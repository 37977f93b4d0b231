"""The delivery platform's orders, as the bot may read them.

The real order system is outside this project; actions reach it only through
:class:`orders.repository.OrderRepository`. :class:`orders.sql.SqlOrderRepository`
implements it on any SQLAlchemy database (SQLite by default) and
``python -m orders.seed FILE`` loads demo orders into it.
"""

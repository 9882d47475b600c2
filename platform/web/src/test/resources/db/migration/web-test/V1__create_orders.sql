-- What the test endpoint does: each order placed is a row, so a test counts what was done.
CREATE TABLE orders (
    order_id uuid    PRIMARY KEY,
    placed_by text   NOT NULL,
    item     text    NOT NULL,
    quantity integer NOT NULL
);

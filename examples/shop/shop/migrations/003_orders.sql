CREATE TABLE orders (
    id          serial PRIMARY KEY,
    user_id     integer NOT NULL REFERENCES users (id),
    status      text NOT NULL,
    full_name   text NOT NULL,
    address     text NOT NULL,
    city        text NOT NULL,
    postcode    text NOT NULL,
    country     text NOT NULL,
    card_last4  text NOT NULL,
    total_cents integer NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_id ON orders (user_id, created_at DESC);

CREATE TABLE order_lines (
    order_id         integer NOT NULL REFERENCES orders (id) ON DELETE CASCADE,
    sku              text NOT NULL,
    name             text NOT NULL,
    quantity         integer NOT NULL CHECK (quantity > 0),
    unit_price_cents integer NOT NULL,
    line_total_cents integer NOT NULL,
    PRIMARY KEY (order_id, sku)
);

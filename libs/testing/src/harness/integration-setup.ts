// Integration tests wait for real brokers, consumer-group joins and databases: allow them time.
jest.setTimeout(90_000);

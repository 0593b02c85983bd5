"""One OpenAPI document for the whole platform, merged from the gateway's and every service's."""

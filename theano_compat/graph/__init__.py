"""The IR: variables, apply nodes, ops, types and function graphs."""

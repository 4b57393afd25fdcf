package internal

// Greeting is what the server says.
const Greeting = "hello"

echo "bench: nothing yet"

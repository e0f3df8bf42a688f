# librdkafka transactions (confluent-kafka): a transactional producer commits, aborts and commits
# again; a read_committed consumer must see exactly the committed messages.
# Usage: python3 transactions.py <brokers> <topic> <transactional.id>. Exits 0 on success.
import sys
from confluent_kafka import Consumer, Producer

brokers, topic, transactional_id = sys.argv[1:4]


def in_transaction(producer, prefix, commit):
    producer.begin_transaction()
    for i in range(3):
        producer.produce(topic, key=f"{prefix}-{i}", value=f"{prefix}-{i}")
    if commit:
        producer.commit_transaction(30)
    else:
        producer.flush(30)
        producer.abort_transaction(30)


producer = Producer({"bootstrap.servers": brokers, "transactional.id": transactional_id})
producer.init_transactions(30)
in_transaction(producer, "committed", True)
in_transaction(producer, "aborted", False)
in_transaction(producer, "again", True)

consumer = Consumer({"bootstrap.servers": brokers, "group.id": f"librdkafka-{topic}", "auto.offset.reset": "earliest",
                     "isolation.level": "read_committed"})
consumer.subscribe([topic])
seen = []
for _ in range(600):
    message = consumer.poll(0.1)
    if message is not None and message.error() is None:
        seen.append(message.value().decode())
    if len(seen) >= 6:
        break
consumer.close()
print("librdkafka read " + ",".join(sorted(seen)))
sys.exit(0 if len(seen) == 6 else 1)

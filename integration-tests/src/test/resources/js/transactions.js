// KafkaJS transactions: a transactional producer commits, aborts and commits again; a consumer group
// (KafkaJS reads read_committed by default) must see exactly the committed messages.
// Usage: node transactions.js <brokers> <topic> <transactionalId>. Exits 0 on success.
const { Kafka, logLevel } = require('kafkajs');

const [brokers, topic, transactionalId] = process.argv.slice(2);
const kafka = new Kafka({ clientId: 'runnel-txn-it', brokers: brokers.split(','), logLevel: logLevel.WARN });

async function inTransaction(producer, prefix, commit) {
  const transaction = await producer.transaction();
  await transaction.send({ topic, messages: [0, 1, 2].map((i) => ({ key: `${prefix}-${i}`, value: `${prefix}-${i}` })) });
  if (commit) {
    await transaction.commit();
  } else {
    await transaction.abort();
  }
}

async function main() {
  const producer = kafka.producer({ transactionalId, idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await inTransaction(producer, 'committed', true);
  await inTransaction(producer, 'aborted', false);
  await inTransaction(producer, 'again', true);
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `kafkajs-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = [];
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${seen.length} messages: ${seen}`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.push(message.value.toString());
        if (seen.length === 6) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  console.log(`kafkajs read ${seen.sort().join(',')}`);
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});

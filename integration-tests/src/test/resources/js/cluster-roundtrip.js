// KafkaJS against a Runnel cluster: an idempotent producer writes keyed messages, a consumer group
// reads them all back. Usage: node cluster-roundtrip.js <brokers> <topic> <count>. Exits 0 on success.
const { Kafka, logLevel } = require('kafkajs');

const [brokers, topic, countArg] = process.argv.slice(2);
const count = Number(countArg);
const kafka = new Kafka({ clientId: 'runnel-cluster-it', brokers: brokers.split(','), logLevel: logLevel.WARN });

async function main() {
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  const messages = [];
  for (let i = 0; i < count; i++) {
    messages.push({ key: `key-${i}`, value: `value-${i}` });
  }
  await producer.send({ topic, messages });
  await producer.disconnect();

  const consumer = kafka.consumer({ groupId: `kafkajs-${topic}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  const seen = new Set();
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`read ${seen.size} of ${count}`)), 60000);
    consumer.run({
      eachMessage: async ({ message }) => {
        seen.add(message.key.toString());
        if (seen.size === count) {
          clearTimeout(timer);
          resolve();
        }
      },
    });
  });
  await consumer.disconnect();
  console.log(`kafkajs read ${seen.size} messages`);
}

main().then(() => process.exit(0), (error) => {
  console.error(error);
  process.exit(1);
});

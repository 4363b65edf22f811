/** @type {import('next').NextConfig} */
const nextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Lessons are read from content/ at request time; the sandbox server is a separate process.
  serverExternalPackages: ['esbuild'],
};

export default nextConfig;

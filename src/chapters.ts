/**
 * The chapter map: the single list that the sidebar (observablehq.config.ts), the index page and the
 * browser tests read. A chapter with `ready: false` is listed on the index as coming and is not linked.
 * Paths are permanent: teachers link to them, so never rename one.
 */
export interface Chapter {
  number: number;
  title: string;
  path: string;
  /** One honest sentence about what the chapter teaches. */
  summary: string;
  ready: boolean;
  /** The chapters it builds on (the index draws them as the prerequisite map). */
  needs?: readonly number[];
}

export const CHAPTERS: readonly Chapter[] = [
  {number: 1, title: "Generative models", path: "/chapters/01-generative-models", ready: true, needs: [],
    summary: "What it means to model p(x), and why 784 dependent pixels make it hard."},
  {number: 2, title: "Autoencoders", path: "/chapters/02-autoencoders", ready: true, needs: [1],
    summary: "A bottleneck trained with a squared error compresses digits well, yet nothing says which codes to decode."},
  {number: 3, title: "Latent variable models", path: "/chapters/03-latent-variable-models", ready: true, needs: [1, 2],
    summary: "p(x) = ∫ p(x|z) p(z) dz, and why estimating it by sampling z from the prior is hopeless for images."},
  {number: 4, title: "The ELBO", path: "/chapters/04-elbo", ready: true, needs: [3],
    summary: "The evidence lower bound derived twice, and its gap to log p(x) measured on a model where both are exact."},
  {number: 5, title: "KL divergence in closed form", path: "/chapters/05-kl-closed-form", ready: true, needs: [3, 4],
    summary: "KL between Gaussians step by step, raced against a Monte Carlo estimate."},
  {number: 6, title: "The reparameterization trick", path: "/chapters/06-reparameterization", ready: true, needs: [4, 5],
    summary: "Why z = μ + σ ⊙ ε lets gradients through sampling, and how much less noisy that gradient is."},
  {number: 7, title: "Training a VAE, live", path: "/chapters/07-training", ready: true, needs: [2, 4, 5, 6],
    summary: "Train a VAE on MNIST on your own GPU and watch reconstruction and KL trade off."},
  {number: 8, title: "Generating", path: "/chapters/08-generating", ready: true, needs: [7],
    summary: "Where a Gaussian prior's codes lie, what temperature and slerp do to them, and the holes where the aggregate posterior misses the prior."},
  {number: 9, title: "The conditional VAE", path: "/chapters/09-conditional-vae", ready: true, needs: [7, 8],
    summary: "Condition on the label to ask for a digit, and keep the style while changing it."},
  {number: 10, title: "Beyond the basic VAE", path: "/chapters/10-beyond", ready: true, needs: [3, 8],
    summary: "Tighter likelihood bounds (IWAE), the approximation and amortization gaps, β, posterior collapse and its remedies, blurry samples and anomaly scores."},
  {number: 11, title: "Your own data", path: "/chapters/11-your-own-data", ready: true, needs: [7, 8],
    summary: "Train a VAE on images you bring (files, sketches or an example set), prepared in the browser, and see overfitting on a small set in the gap between training and held-out −ELBO."},
  {number: 12, title: "Factors you can see", path: "/chapters/12-factors", ready: true, needs: [7, 10],
    summary: "Shapes made from known factors, latent traversals, and the mutual information gap: what β does to a code, what it costs, and why correlated factors defeat it."},
  {number: 13, title: "VAEs today", path: "/chapters/13-vaes-today", ready: true, needs: [6, 7, 10],
    summary: "Discrete codes (VQ-VAE) trained live with a straight-through gradient, why their samples need a prior over codes, and the tiny-KL autoencoder under latent diffusion."}
];

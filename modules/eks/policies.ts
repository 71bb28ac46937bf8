/** AWS-managed policies and EKS access policies this module attaches (AWS maintains them per EKS release). */
export const AWS_MANAGED_POLICIES = {
  cluster: "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
  workerNode: "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
  ecrReadOnly: "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly",
  cni: "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
  ebsCsi: "arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy",
  clusterAdminAccess: "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
} as const;

/** Every control-plane log type EKS offers (reference architecture section 10: audit trail). */
export const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator", "controllerManager", "scheduler"] as const;
